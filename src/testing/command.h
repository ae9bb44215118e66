// RunCommand: runs a shell command line for a test (the trailhound binary, the AWS CLI,
// cfn-lint) and returns its exit status with stdout and stderr together. ShellQuote makes
// one argument safe to put on such a line. Thread safety: reentrant.
#pragma once

#include <string>

namespace trailhound::testing {

struct CommandRun {
  int status = -1;  // the exit status; -1 when the command could not run or was killed
  std::string out;  // stdout and stderr
};

CommandRun RunCommand(const std::string& command);

// 'arg' with every ' escaped, for /bin/sh.
std::string ShellQuote(const std::string& arg);

}  // namespace trailhound::testing
