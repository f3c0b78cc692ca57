"""Built-in report templates (.docx) and their phrase macros, shipped as package data."""
