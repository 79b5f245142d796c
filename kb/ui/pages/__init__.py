"""The app's pages. Each module is run by Streamlit as a page script (its `render()` is called
under `if __name__ == "__main__"`), and can be imported like any module."""
