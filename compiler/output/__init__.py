"""Writing build/: stage every artifact beside it, swap it in atomically, and recover what a killed run left.

moncc replaces only a folder it made (every build carries a stamp), never one that holds sources or lies
outside the project, and a run killed at any instant leaves the complete old or the complete new build.
"""
