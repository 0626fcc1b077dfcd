"""The app's views: the graph, the inspector, the steps, and the panels and bars around them."""
