# Build conventions (see docs/ARCHITECTURE.md "Build"):
# - every folder src/<stage>/ is one static library trailhound_<stage>, made of
#   its *.cc files except *_test.cc;
# - every *_test.cc beside the code is one GoogleTest executable with the CTest
#   labels "unit;<stage>";
# - every tests/<kind>/<area>/*_test.cc is one test with labels "<kind>;<area>".
# New files are picked up when CMake re-runs (CONFIGURE_DEPENDS), so adding a
# component never needs an edit here.

set(TRAILHOUND_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wcast-align -Wimplicit-fallthrough)
if(TRAILHOUND_WERROR)
  list(APPEND TRAILHOUND_WARNINGS -Werror)
endif()

set(TRAILHOUND_SHARED_DIR "${CMAKE_SOURCE_DIR}/../shared" CACHE PATH
    "The shared/ folder with the third-party test corpora")

function(trailhound_stage stage)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/${stage}/*.cc")
  list(FILTER srcs EXCLUDE REGEX "_test\\.cc$")
  set(lib trailhound_${stage})
  if(srcs)
    add_library(${lib} STATIC ${srcs})
    target_include_directories(${lib} PUBLIC "${CMAKE_SOURCE_DIR}/src")
    target_compile_options(${lib} PRIVATE ${TRAILHOUND_WARNINGS})
    target_link_libraries(${lib} PUBLIC ${ARG_DEPS})
  else()  # a stage that has only headers so far
    add_library(${lib} INTERFACE)
    target_include_directories(${lib} INTERFACE "${CMAKE_SOURCE_DIR}/src")
    target_link_libraries(${lib} INTERFACE ${ARG_DEPS})
  endif()
  file(GLOB_RECURSE tests CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/${stage}/*_test.cc")
  foreach(t ${tests})
    trailhound_test("${t}" "unit;${stage}" ${lib})
  endforeach()
endfunction()

# trailhound_test(<source> <labels> <libs...>)
function(trailhound_test src labels)
  get_filename_component(name "${src}" NAME_WE)
  get_filename_component(dir "${src}" DIRECTORY)
  get_filename_component(area "${dir}" NAME)
  list(GET labels 0 kind)
  if(kind STREQUAL "unit")
    set(target "${area}_${name}")
  else()
    set(target "${kind}_${area}_${name}")
  endif()
  add_executable(${target} "${src}")
  target_compile_options(${target} PRIVATE ${TRAILHOUND_WARNINGS})
  target_compile_definitions(${target} PRIVATE
      TRAILHOUND_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
      TRAILHOUND_SHARED_DIR="${TRAILHOUND_SHARED_DIR}")
  target_link_libraries(${target} PRIVATE ${ARGN} GTest::gtest GTest::gmock GTest::gtest_main)
  add_test(NAME ${target} COMMAND ${target})
  set_tests_properties(${target} PROPERTIES LABELS "${labels}" TIMEOUT 300
      ENVIRONMENT "TRAILHOUND_SOURCE_DIR=${CMAKE_SOURCE_DIR};TRAILHOUND_SHARED_DIR=${TRAILHOUND_SHARED_DIR}")
endfunction()
