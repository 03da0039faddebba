// Reads the MessagePack of one message into a Message, within bounds that a
// worker's bytes cannot push the daemon past: at most kMaxMessageDepth levels
// of arrays and maps (nlohmann's MessagePack reader descends by recursion, so
// a 100 KB message of nested arrays would overflow the reading thread's stack
// and crash the daemon), and about kMaxMessageMemory bytes once read (a 16
// MiB message of empty maps would otherwise take over 2 GiB).
//
// Stateless; any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "protocol/message_channel.hpp"

namespace jobhost::protocol {

constexpr std::size_t kMaxMessageDepth = 32;
constexpr std::size_t kMaxMessageMemory = 128 * 1024 * 1024;

// The message `body` holds. Throws ProtocolError for bytes that are not
// MessagePack, or that pass either bound (the error names which).
Message parse_message(const std::vector<std::uint8_t>& body);

}  // namespace jobhost::protocol
