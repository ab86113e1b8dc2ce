"""Instructor-side tools for writing exercises: the contract every source notebook keeps
(``contract``) and a scaffold for a new one (``scaffold``). Nothing here runs while grading."""
