"""reader.storage"""
