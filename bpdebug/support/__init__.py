"""Below everything: errors, text that is safe to print, files opened safely, numbers as people
write them, the garbage-collector pauses.
"""
