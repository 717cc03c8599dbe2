"""Quiz model and server-graded XBlock of the CMIO curriculum.

`curriculum_quiz.model` is pure Python; importing this package does not import XBlock.
"""
