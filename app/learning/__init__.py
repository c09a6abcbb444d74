"""Courses, modules, lessons, GIFT quizzes, attempts, progress and certificates."""
