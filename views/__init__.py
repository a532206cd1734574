"""Streamlit page parts beside dashboard.py: citing, versions, the data package, the Methods page."""
