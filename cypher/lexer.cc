#include "cypher/lexer.h"

#include <cctype>

namespace sinew::cypher {
namespace {

// Appends code point `cp` as UTF-8.
void Utf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

namespace {

bool WordStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool WordPart(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

class Lexer {
 public:
  explicit Lexer(const std::string& text) : s_(text) {}

  std::vector<Token> Run() {
    std::vector<Token> out;
    for (;;) {
      SkipSpace();
      Token t;
      t.pos = pos_;
      t.offset = i_;
      if (i_ >= s_.size()) {
        t.kind = Token::Kind::kEnd;
        t.end = i_;
        out.push_back(t);
        return out;
      }
      unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (WordStart(c)) {
        t.kind = Token::Kind::kWord;
        while (i_ < s_.size() && WordPart(static_cast<unsigned char>(s_[i_]))) Advance();
        t.text = s_.substr(t.offset, i_ - t.offset);
      } else if (c == '`') {
        t.kind = Token::Kind::kQuoted;
        Advance();
        for (;;) {
          if (i_ >= s_.size()) Fail(t.pos, "a `quoted name` is not closed");
          if (s_[i_] == '`') {
            if (i_ + 1 < s_.size() && s_[i_ + 1] == '`') {  // `` is a backtick
              t.text += '`';
              Advance();
              Advance();
              continue;
            }
            Advance();
            break;
          }
          t.text += s_[i_];
          Advance();
        }
      } else if (std::isdigit(c) || (c == '.' && i_ + 1 < s_.size() &&
                                     std::isdigit(static_cast<unsigned char>(s_[i_ + 1])))) {
        Number(&t);
      } else if (c == '\'' || c == '"') {
        t.kind = Token::Kind::kString;
        t.text = String(static_cast<char>(c), t.pos);
      } else if (c == '$') {
        t.kind = Token::Kind::kParameter;
        Advance();
        size_t start = i_;
        if (i_ < s_.size() && s_[i_] == '`') {
          Advance();
          while (i_ < s_.size() && s_[i_] != '`') Advance();
          t.text = s_.substr(start + 1, i_ - start - 1);
          if (i_ < s_.size()) Advance();
        } else {
          while (i_ < s_.size() && WordPart(static_cast<unsigned char>(s_[i_]))) Advance();
          t.text = s_.substr(start, i_ - start);
        }
        if (t.text.empty()) Fail(t.pos, "a parameter needs a name after '$'");
      } else {
        t.kind = Token::Kind::kSymbol;
        static const char* kTwo[] = {"<>", "<=", ">=", "=~", "!=", "..", "+=", "||"};
        for (const char* two : kTwo)
          if (s_.compare(i_, 2, two) == 0) t.text = two;
        if (t.text.empty()) {
          static const std::string kOne = "()[]{},:;.|=<>+-*/%^!";
          if (kOne.find(static_cast<char>(c)) == std::string::npos)
            Fail(t.pos, std::string("unexpected character '") + static_cast<char>(c) + "'");
          t.text = std::string(1, static_cast<char>(c));
        }
        for (size_t k = 0; k < t.text.size(); ++k) Advance();
      }
      t.end = i_;
      out.push_back(std::move(t));
    }
  }

 private:
  [[noreturn]] void Fail(Position p, const std::string& msg,
                         const std::string& detail = "UnexpectedSyntax") {
    throw Error("SyntaxError", detail, msg, p.line, p.column);
  }

  void Advance() {
    if (s_[i_] == '\n') {
      ++pos_.line;
      pos_.column = 1;
    } else if ((static_cast<unsigned char>(s_[i_]) & 0xC0) != 0x80) {
      ++pos_.column;
    }
    ++i_;
  }

  void SkipSpace() {
    for (;;) {
      while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) Advance();
      if (s_.compare(i_, 2, "//") == 0) {
        while (i_ < s_.size() && s_[i_] != '\n') Advance();
      } else if (s_.compare(i_, 2, "/*") == 0) {
        Position at = pos_;
        Advance();
        Advance();
        while (i_ < s_.size() && s_.compare(i_, 2, "*/") != 0) Advance();
        if (i_ >= s_.size()) Fail(at, "a /* comment */ is not closed");
        Advance();
        Advance();
      } else {
        return;
      }
    }
  }

  void Number(Token* t) {
    size_t start = i_;
    auto digits = [&](auto pred) {
      while (i_ < s_.size() && pred(static_cast<unsigned char>(s_[i_]))) Advance();
    };
    auto is_digit = [](unsigned char c) { return std::isdigit(c) != 0; };
    t->kind = Token::Kind::kInteger;
    if (s_[i_] == '0' && i_ + 1 < s_.size() && (s_[i_ + 1] == 'x' || s_[i_ + 1] == 'o')) {
      Advance();
      Advance();
      digits([](unsigned char c) { return std::isalnum(c) != 0; });
    } else {
      digits(is_digit);
      if (i_ + 1 < s_.size() && s_[i_] == '.' &&
          std::isdigit(static_cast<unsigned char>(s_[i_ + 1]))) {
        t->kind = Token::Kind::kFloat;
        Advance();
        digits(is_digit);
      }
      if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
        size_t save = i_;
        Position save_pos = pos_;
        Advance();
        if (i_ < s_.size() && (s_[i_] == '-' || s_[i_] == '+')) Advance();
        if (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) {
          t->kind = Token::Kind::kFloat;
          digits(is_digit);
        } else {
          i_ = save;
          pos_ = save_pos;
        }
      }
      // "1abc" is no number and no name.
      if (i_ < s_.size() && WordStart(static_cast<unsigned char>(s_[i_]))) {
        digits([](unsigned char c) { return WordPart(c); });
        throw Error("SyntaxError", "InvalidNumberLiteral",
                    "'" + s_.substr(start, i_ - start) + "' is not a number", t->pos.line,
                    t->pos.column);
      }
    }
    t->text = s_.substr(start, i_ - start);
  }

  std::string String(char quote, Position at) {
    std::string out;
    Advance();
    for (;;) {
      if (i_ >= s_.size()) Fail(at, "a string is not closed");
      char c = s_[i_];
      if (c == quote) {
        Advance();
        return out;
      }
      if (c != '\\') {
        out += c;
        Advance();
        continue;
      }
      Position esc = pos_;
      Advance();
      if (i_ >= s_.size()) Fail(at, "a string is not closed");
      char e = s_[i_];
      Advance();
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case '\\':
          out += '\\';
          break;
        case '\'':
          out += '\'';
          break;
        case '"':
          out += '"';
          break;
        case 'u':
        case 'U': {
          size_t n = e == 'u' ? 4 : 8;
          uint32_t cp = 0;
          for (size_t k = 0; k < n; ++k) {
            if (i_ >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[i_])))
              throw Error("SyntaxError", "InvalidUnicodeLiteral",
                          "\\" + std::string(1, e) + " needs " + std::to_string(n) + " hex digits",
                          esc.line, esc.column);
            cp = cp * 16 + static_cast<uint32_t>(std::stoi(std::string(1, s_[i_]), nullptr, 16));
            Advance();
          }
          Utf8(cp, &out);
          break;
        }
        default:
          throw Error("SyntaxError", "InvalidUnicodeLiteral", std::string("unknown escape \\") + e,
                      esc.line, esc.column);
      }
    }
  }

  const std::string& s_;
  size_t i_ = 0;
  Position pos_;
};

}  // namespace

std::vector<Token> Tokenize(const std::string& text) { return Lexer(text).Run(); }

}  // namespace sinew::cypher
