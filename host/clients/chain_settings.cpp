#include "clients/chain_settings.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>
#include <string_view>

#include "jobhost/error.hpp"

namespace jobhost::clients {
namespace {

bool valid_chain_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// "Name: value" -> {"Name", "value"}.
std::pair<std::string, std::string> parse_header(const std::string& text, const std::string& key) {
  const auto colon = text.find(':');
  std::string name = colon == std::string::npos ? "" : text.substr(0, colon);
  const bool name_ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
  if (!name_ok) throw ConfigError(key + ": expected \"Name: value\" (the value is not shown here)");
  std::string value = text.substr(colon + 1);
  value.erase(0, value.find_first_not_of(' '));
  return {std::move(name), std::move(value)};
}

// The value of the environment variable `variable`; throws naming `key`
// when it is not set.
std::string from_environment(const std::string& variable, const std::string& key) {
  const char* value = std::getenv(variable.c_str());
  if (!value) throw ConfigError(key + ": the environment variable " + variable + " is not set");
  return value;
}

void add_secret(std::string_view text, std::vector<std::string>& secrets) {
  constexpr std::size_t kShortest = 4;
  if (text.size() >= kShortest) secrets.emplace_back(text);
}

}  // namespace

std::vector<std::string> chain_secrets(const std::vector<ChainSettings>& chains) {
  std::vector<std::string> secrets;
  for (const auto& chain : chains) {
    std::string_view url = chain.options.url;
    url = url.substr(0, url.find('#'));
    const auto scheme_end = url.find("://");
    const auto authority_begin = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
    const auto authority = url.substr(authority_begin, url.find_first_of("/?", authority_begin) - authority_begin);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
      const auto user_info = authority.substr(0, at);
      add_secret(user_info, secrets);
      if (const auto colon = user_info.find(':'); colon != std::string_view::npos) {
        add_secret(user_info.substr(colon + 1), secrets);
      }
    }
    if (const auto query = url.find('?'); query != std::string_view::npos) {
      std::string_view rest = url.substr(query + 1);
      for (;;) {
        const auto amp = rest.find('&');
        const auto parameter = rest.substr(0, amp);
        const auto eq = parameter.find('=');
        add_secret(eq == std::string_view::npos ? parameter : parameter.substr(eq + 1), secrets);
        if (amp == std::string_view::npos) break;
        rest.remove_prefix(amp + 1);
      }
    }
    for (const auto& [name, value] : chain.options.headers) add_secret(value, secrets);
  }
  return secrets;
}

std::vector<ChainSettings> chains_from(const config::Config& config) {
  std::set<std::string> names;
  for (const auto& [key, value] : config.section("chain")) names.insert(key.substr(0, key.find('.')));

  std::vector<ChainSettings> chains;
  for (const auto& name : names) {
    const std::string prefix = "chain." + name + ".";
    if (!valid_chain_name(name)) {
      throw ConfigError(prefix + "url: invalid chain name \"" + name + "\" (expected lowercase letters, digits, - and _)");
    }
    ChainSettings chain;
    chain.options.name = name;
    auto url = config.get(prefix + "url");
    if (const auto variable = config.get(prefix + "url-env")) {
      if (url) throw ConfigError(prefix + "url-env: set beside " + prefix + "url (expected one of the two)");
      url = from_environment(*variable, prefix + "url-env");
    }
    if (!url || url->empty()) {
      throw ConfigError(prefix + "url: missing (every configured chain needs a url, or url-env naming a variable)");
    }
    chain.options.url = *url;
    const auto timeout = config.get_duration(prefix + "timeout", chain.options.timeout);
    if (timeout < std::chrono::milliseconds(1)) throw ConfigError(prefix + "timeout: must be at least 1ms");
    chain.options.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
    chain.options.batch_size =
        static_cast<std::size_t>(config.get_int(prefix + "batch-size", 100, 1, 10000));
    for (const auto& header : config.get_all(prefix + "headers")) {
      chain.options.headers.push_back(parse_header(header, prefix + "headers"));
    }
    for (const auto& variable : config.get_all(prefix + "headers-env")) {
      chain.options.headers.push_back(
          parse_header(from_environment(variable, prefix + "headers-env"), prefix + "headers-env " + variable));
    }
    if (auto file = config.get(prefix + "log-file")) {
      chain.log_file = *file;
    } else if (auto shared = config.get("log.sdk-file")) {
      chain.log_file = *shared;
    }
    chains.push_back(std::move(chain));
  }
  return chains;
}

}  // namespace jobhost::clients
