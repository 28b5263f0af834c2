"""The complaints domain: pure Python, no database, web or CLI imports."""
