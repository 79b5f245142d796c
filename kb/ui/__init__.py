"""The Streamlit web app: the only package that imports streamlit.

`app.py` (the router) registers the pages in `kb/ui/pages/`; each page module is a small
`render()` function run as the page script. Logic that is not rendering lives in plain modules
that tests call directly: `state.py` (the search state in the URL), `text.py` (escaping).
"""
