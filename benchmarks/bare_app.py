"""Baseline: a bare Streamlit app drawing a one-trace Plotly chart (and one text input to rerun)."""

import plotly.graph_objects as go
import streamlit as st

st.title("Baseline")
st.text_input("Search", key="search")
st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2])), key="chart")
