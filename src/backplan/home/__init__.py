"""The patient at home: guided sessions, the pain log, advice from the log and progress reports."""
