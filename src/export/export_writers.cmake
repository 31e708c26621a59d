# The export writers (export_writers.h), included from src/CMakeLists.txt after the
# jobindsigt_export library: XLSX needs libxlsxwriter (Debian libxlsxwriter-dev), found by
# pkg-config so that its zlib dependency comes along.
find_package(PkgConfig REQUIRED)
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
target_sources(jobindsigt_export PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/export_text.cpp
  ${CMAKE_CURRENT_LIST_DIR}/json_writers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/px_writer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sdmx_csv_writer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/xlsx_writer.cpp
)
target_link_libraries(jobindsigt_export PRIVATE PkgConfig::XLSXWRITER)
