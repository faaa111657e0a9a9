"""reader.translation"""
