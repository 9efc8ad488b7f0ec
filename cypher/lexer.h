// The Cypher tokenizer (private to cypher/): words, numbers, strings,
// parameters and symbols, each with its position.
#pragma once

#include <string>
#include <vector>

#include "cypher/ast.h"

namespace sinew::cypher {

struct Token {
  enum class Kind { kWord, kQuoted, kInteger, kFloat, kString, kParameter, kSymbol, kEnd };
  Kind kind;
  std::string text;  // words as written; strings unescaped; symbols as written
  Position pos;
  size_t offset = 0, end = 0;  // bytes of the query text
};

// Splits `text` into tokens ending with kEnd; throws a SyntaxError at the
// first character that starts no token.
std::vector<Token> Tokenize(const std::string& text);

}  // namespace sinew::cypher
