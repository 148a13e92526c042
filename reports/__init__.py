"""Migration history of the portal's first single app; the models live in the feature apps."""
