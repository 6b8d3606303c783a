"""Turning frames into pictures: Folium map builders, class breaks, strike arrows, grid cells, charts."""
