"""Shared code of the living report on North Korean emigration.

The build (``conf.py`` loads :mod:`nkreport.sphinxext`), the charts and the
tests all read the dataset through :mod:`nkreport.data`.
"""
