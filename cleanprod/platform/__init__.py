"""Model-free framework pieces shared by the apps (no concrete models live here)."""
