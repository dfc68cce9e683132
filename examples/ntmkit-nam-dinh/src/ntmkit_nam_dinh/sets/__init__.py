"""Set files of Nam Định (read by ntmkit through the ``ntmkit.criteria_sets`` entry point)."""
