"""reader.gui"""
