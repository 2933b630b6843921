"""Read models: one function per question a page asks, memoised, returning plain data frames."""
