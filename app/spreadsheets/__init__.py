"""The CSV format of the export and the import, no database: `columns` (the header and the formula
guard), `writer` (rows to CSV bytes), `reader` (an import file read and checked row by row)."""
