"""The old Gatsby blog: importing its posts (`importer`) and writing its format (`gatsby`)."""
