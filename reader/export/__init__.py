"""reader.export"""
