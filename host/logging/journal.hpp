// Whether the host's standard error is systemd's journal.
//
// systemd sets JOURNAL_STREAM="DEV:INODE" for a service whose standard output
// or error is connected to the journal; the stream is the journal when those
// numbers are the device and inode of the file open on it (sd_journal_stream_fd(3),
// systemd.exec(5)). A child that inherited the variable but writes somewhere
// else does not match. Lines to the journal need no time of their own
// (journald stamps each) and may start with a syslog priority, "<3>" for an
// error (sd-daemon(3)), which journald strips and records.
//
// Thread-safety: both functions may be called from any thread (they read the
// environment: not while another thread changes it).
#pragma once

namespace jobhost::logging {

// True when `journal_stream`, a value of JOURNAL_STREAM (decimal "DEV:INODE";
// null or malformed: false), names the file open on `fd`.
bool is_journal_stream(const char* journal_stream, int fd);

// is_journal_stream(getenv("JOURNAL_STREAM"), STDERR_FILENO).
bool stderr_is_journal();

}  // namespace jobhost::logging
