// The exceptions that cross the boundary between the host and plugins.
//
// Every error the host raises towards a plugin derives from jobhost::Error, and
// a plugin may throw any of these (or any std::exception) out of configure(),
// jobs() or a job's run function: the host catches it at the boundary and logs
// it with the plugin or job name. The types have default visibility so that
// the host and every plugin agree on their typeinfo.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>

#define JOBHOST_VISIBLE __attribute__((visibility("default")))

namespace jobhost {

// Base of every jobhost error.
class JOBHOST_VISIBLE Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A setting is missing or malformed. The message names the key and what was
// expected.
class JOBHOST_VISIBLE ConfigError : public Error {
 public:
  using Error::Error;
};

// A job run was stopped on request: at shutdown, when its plugin is replaced
// or removed, or when its timeout passed. A job may throw this when it
// notices its stop token; the host counts it as "stopped" (a run past its
// timeout as "timeout"), not as a failure.
class JOBHOST_VISIBLE StoppedError : public Error {
 public:
  using Error::Error;
};

// Base of the errors raised by ClientProvider and ChainClient.
class JOBHOST_VISIBLE ClientError : public Error {
 public:
  using Error::Error;
};

// ClientProvider::chain() was asked for a name that is not configured. The
// message lists the configured names.
class JOBHOST_VISIBLE UnknownClientError : public ClientError {
 public:
  using ClientError::ClientError;
};

// The client exists in the configuration but cannot be used right now: its
// creation failed, and the provider waits retry_after() before it tries
// again.
class JOBHOST_VISIBLE ClientUnavailableError : public ClientError {
 public:
  ClientUnavailableError(const std::string& message, std::chrono::milliseconds retry_after)
      : ClientError(message), retry_after_(retry_after) {}
  std::chrono::milliseconds retry_after() const { return retry_after_; }

 private:
  std::chrono::milliseconds retry_after_;
};

// The node answered with a JSON-RPC error object.
class JOBHOST_VISIBLE RpcError : public ClientError {
 public:
  RpcError(const std::string& message, long long code) : ClientError(message), code_(code) {}
  long long code() const { return code_; }

 private:
  long long code_;
};

// The request did not get a valid answer: connection refused, timeout, HTTP
// error status, malformed or oversized body.
class JOBHOST_VISIBLE TransportError : public ClientError {
 public:
  using ClientError::ClientError;
};

}  // namespace jobhost
