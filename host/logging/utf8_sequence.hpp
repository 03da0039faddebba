// Where log lines tell text from bytes that are not text: a plugin may log
// anything (a node's reply, a buffer it misread), and bytes that are not
// UTF-8 would make a JSON line invalid, and a text line unreadable to tools
// that expect UTF-8 (journald, log shippers). Both formats write such a
// byte as "\xNN", as they write control characters.
//
// Stateless; any thread.
#pragma once

#include <cstddef>

namespace jobhost::logging {

// The length of the UTF-8 character at `at` (1 to 4 bytes, none past
// `end`), or 0 when the bytes there are not one: a stray continuation byte,
// a sequence cut short, an overlong form, a surrogate, or past U+10FFFF.
// `at` must be before `end`.
std::size_t utf8_sequence_length(const char* at, const char* end);

}  // namespace jobhost::logging
