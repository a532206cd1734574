"""Pure figure builders: a table in, a plotly Figure out. No Streamlit here."""
