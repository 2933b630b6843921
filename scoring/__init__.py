"""Credit scoring models (WoE scorecard) independent of the Dash app."""
