"""Word templates and documents: the docxtpl engine and its sandbox, the template search
path, lint and context types, tables, page layout, wording filters, the zip writer."""
