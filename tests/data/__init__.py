"""Small good and bad vocabularies for the loader and check tests, and a generator of big ones."""
