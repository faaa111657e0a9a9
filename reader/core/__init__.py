"""reader.core"""
