// JSON-lines output (PROTOCOL.md): one object per line on stdout, flushed per line.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

class JsonObj {
 public:
  JsonObj& str(const char* key, const std::string& v);
  JsonObj& num(const char* key, double v);  // non-finite -> null
  JsonObj& integer(const char* key, int64_t v);
  JsonObj& boolean(const char* key, bool v);
  JsonObj& raw(const char* key, const std::string& json);  // already-encoded value
  JsonObj& nums(const char* key, const std::vector<double>& v);
  std::string done() const { return body_ + "}"; }

 private:
  void key(const char* k);
  std::string body_ = "{";
  bool first_ = true;
};

std::string json_escape(const std::string& s);
std::string json_number(double v);

// Emitters. Every line goes through emit_line(), which writes and flushes stdout.
void emit_line(const std::string& line);
void emit_error(const std::string& code, const std::string& suite, const std::string& name, const std::string& message);
void emit_skip(const std::string& suite, const std::string& name, const std::string& reason);

// Failures counted for the final `done` line and the exit code.
int failures();
void count_failure();
