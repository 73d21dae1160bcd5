"""Developer tools for the block's catalogs (`make translations`, and the tests that keep them
complete and fresh). Not part of the installed package."""
