"""Index: embeddings (``embedding``) and the ChromaDB chunk store (``store``).

Import the submodules directly: ``store`` pulls in ChromaDB, which a warm run that loads
every stage from its checkpoints never needs.
"""
