"""好差评 pages for applicants (the signed rating link, the signed-in rating page, the reply) and the window
rating pad (评价器). Thin: read through selectors, write through services (docs/ratings.md §Screens)."""
