"""Static maps: tile providers, tile fetching and caching, rendering."""
