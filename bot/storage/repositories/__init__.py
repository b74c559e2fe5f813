"""One repository per aggregate, each bound to the connection of one unit of work."""
