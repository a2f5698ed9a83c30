#include "json.hpp"

#include <cmath>
#include <cstdio>

std::string json_escape(const std::string& s) {
  std::string o = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\r': o += "\\r"; break;
      case '\t': o += "\\t"; break;
      default:
        if (c < 0x20) {
          char b[8];
          std::snprintf(b, sizeof b, "\\u%04x", c);
          o += b;
        } else {
          o += static_cast<char>(c);
        }
    }
  }
  return o + "\"";
}

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char b[32];
  std::snprintf(b, sizeof b, "%.9g", v);
  return b;
}

void JsonObj::key(const char* k) {
  if (!first_) body_ += ",";
  first_ = false;
  body_ += json_escape(k);
  body_ += ":";
}
JsonObj& JsonObj::str(const char* k, const std::string& v) {
  key(k);
  body_ += json_escape(v);
  return *this;
}
JsonObj& JsonObj::num(const char* k, double v) {
  key(k);
  body_ += json_number(v);
  return *this;
}
JsonObj& JsonObj::integer(const char* k, int64_t v) {
  key(k);
  body_ += std::to_string(v);
  return *this;
}
JsonObj& JsonObj::boolean(const char* k, bool v) {
  key(k);
  body_ += v ? "true" : "false";
  return *this;
}
JsonObj& JsonObj::raw(const char* k, const std::string& j) {
  key(k);
  body_ += j;
  return *this;
}
JsonObj& JsonObj::nums(const char* k, const std::vector<double>& v) {
  key(k);
  body_ += "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) body_ += ",";
    body_ += json_number(v[i]);
  }
  body_ += "]";
  return *this;
}

void emit_line(const std::string& line) {
  std::fputs(line.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

void emit_error(const std::string& code, const std::string& suite, const std::string& name, const std::string& message) {
  JsonObj j;
  j.str("type", "error").str("code", code);
  if (!suite.empty()) j.str("suite", suite);
  if (!name.empty()) j.str("name", name);
  j.str("message", message);
  emit_line(j.done());
  std::fprintf(stderr, "gpuctl-bench: error %s %s%s%s: %s\n", code.c_str(), suite.c_str(), suite.empty() ? "" : "/", name.c_str(),
               message.c_str());
}

void emit_skip(const std::string& suite, const std::string& name, const std::string& reason) {
  emit_line(JsonObj().str("type", "skip").str("suite", suite).str("name", name).str("reason", reason).done());
}

static int g_failures = 0;
int failures() { return g_failures; }
void count_failure() { ++g_failures; }
