// Tables as the commands print them: left-aligned columns, two spaces apart.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace jobhost::cli {

void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows);

}  // namespace jobhost::cli
