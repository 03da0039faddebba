#include "cli/table.hpp"

#include <algorithm>
#include <iomanip>

namespace jobhost::cli {

void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows) {
    // Empty cells at the end of a row are not padded: no trailing blanks.
    std::size_t used = row.size();
    while (used > 0 && row[used - 1].empty()) --used;
    for (std::size_t i = 0; i < used; ++i) {
      if (i + 1 == used) {
        out << row[i];
      } else {
        out << std::left << std::setw(static_cast<int>(widths[i] + 2)) << row[i];
      }
    }
    out << "\n";
  }
}

}  // namespace jobhost::cli
