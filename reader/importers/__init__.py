"""reader.importers"""
