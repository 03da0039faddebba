#include "protocol/run_messages.hpp"

#include "protocol/plugin_messages.hpp"

namespace jobhost::protocol {
namespace {

// The item of a "runs" or "done" list at `index`, checked to be an array of
// `size` items.
const Message& tuple_at(const Message& list, std::size_t index, std::size_t size, const char* what) {
  const Message& item = list[index];
  if (!item.is_array() || item.size() != size) {
    throw ProtocolError(std::string(what) + " " + std::to_string(index) + " is " + item.type_name() +
                        ", expected an array of " + std::to_string(size));
  }
  return item;
}

std::uint64_t unsigned_at(const Message& value, const char* what) {
  if (!value.is_number_integer() || (!value.is_number_unsigned() && value.get<std::int64_t>() < 0)) {
    throw ProtocolError(std::string(what) + " is " + value.type_name() + ", expected an unsigned integer");
  }
  return value.get<std::uint64_t>();
}

std::string string_at(const Message& value, const char* what) {
  if (!value.is_string()) {
    throw ProtocolError(std::string(what) + " is " + value.type_name() + ", expected a string");
  }
  return value.get<std::string>();
}

}  // namespace

Message write_job(const JobConstants& job) {
  return {{"t", "job"},
          {"number", job.number},
          {"job", job.job},
          {"settings", job.settings},
          {"state_dir", job.state_dir},
          {"level", static_cast<int>(job.level)}};
}

JobConstants read_job(const Message& message) {
  return {read_unsigned(message, "number"), read_string(message, "job"), read_string_map(message, "settings"),
          read_string(message, "state_dir"), read_level(message, "level")};
}

Message write_runs(const std::vector<RunOrder>& runs) {
  Message list = Message::array();
  list.get_ref<Message::array_t&>().reserve(runs.size() * 3);
  for (const auto& run : runs) {
    list.push_back(run.id);
    list.push_back(run.job);
    list.push_back(run.scheduled_ns);
  }
  return {{"t", "runs"}, {"runs", std::move(list)}};
}

std::vector<RunOrder> read_runs(const Message& message) {
  const Message& list = read_array(message, "runs");
  if (list.size() % 3 != 0) {
    throw ProtocolError("message \"runs\" has " + std::to_string(list.size()) +
                        " numbers, expected three for each run");
  }
  std::vector<RunOrder> runs;
  runs.reserve(list.size() / 3);
  for (std::size_t i = 0; i < list.size(); i += 3) {
    const Message& scheduled = list[i + 2];
    if (!scheduled.is_number_integer()) {
      throw ProtocolError("message \"runs\": the scheduled time of run " + std::to_string(i / 3) + " is " +
                          scheduled.type_name() + ", expected an integer");
    }
    runs.push_back({unsigned_at(list[i], "message \"runs\": a run id"),
                    unsigned_at(list[i + 1], "message \"runs\": a job number"), scheduled.get<std::int64_t>()});
  }
  return runs;
}

Message write_done(const std::vector<RunEnd>& ends) {
  Message ok = Message::array();
  Message ended = Message::array();
  for (const auto& end : ends) {
    if (end.outcome == RunEnd::Outcome::ok) {
      ok.push_back(end.id);
    } else {
      ended.push_back(Message::array({end.id, end.outcome == RunEnd::Outcome::failed ? "failed" : "stopped", end.error}));
    }
  }
  return {{"t", "done"}, {"ok", std::move(ok)}, {"ended", std::move(ended)}};
}

std::vector<RunEnd> read_done(const Message& message) {
  const Message& ok = read_array(message, "ok");
  const Message& ended = read_array(message, "ended");
  std::vector<RunEnd> ends;
  ends.reserve(ok.size() + ended.size());
  for (const auto& id : ok) ends.push_back({unsigned_at(id, "message \"done\": a run id"), RunEnd::Outcome::ok, {}});
  for (std::size_t i = 0; i < ended.size(); ++i) {
    const Message& end = tuple_at(ended, i, 3, "message \"done\": ended run");
    const std::string outcome = string_at(end[1], "message \"done\": an outcome");
    if (outcome != "failed" && outcome != "stopped") {
      throw ProtocolError("message \"done\": outcome \"" + outcome + "\" (expected failed or stopped)");
    }
    ends.push_back({unsigned_at(end[0], "message \"done\": a run id"),
                    outcome == "failed" ? RunEnd::Outcome::failed : RunEnd::Outcome::stopped,
                    string_at(end[2], "message \"done\": an error")});
  }
  return ends;
}

}  // namespace jobhost::protocol
