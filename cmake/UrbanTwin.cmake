# Helpers shared by every folder: one warnings target, libraries, executables and tests
# that reject unknown arguments.

add_library(ut_warnings INTERFACE)
add_library(ut::warnings ALIAS ut_warnings)
target_compile_options(ut_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                             -Wold-style-cast -Wcast-align -Woverloaded-virtual
                                             -Wnull-dereference -Wimplicit-fallthrough)

add_library(ut_openscenegraph INTERFACE)
add_library(ut::openscenegraph ALIAS ut_openscenegraph)
target_include_directories(ut_openscenegraph SYSTEM INTERFACE ${OPENSCENEGRAPH_INCLUDE_DIRS})
target_link_libraries(ut_openscenegraph INTERFACE ${OPENSCENEGRAPH_LIBRARIES})

function(ut_check_arguments prefix)
  if(${prefix}_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "unknown arguments: ${${prefix}_UNPARSED_ARGUMENTS}")
  endif()
endfunction()

# ut_add_library(name SOURCES ... [PUBLIC_DEPENDS ...] [PRIVATE_DEPENDS ...] [AUTOMOC])
function(ut_add_library name)
  cmake_parse_arguments(arg "AUTOMOC" "" "SOURCES;PUBLIC_DEPENDS;PRIVATE_DEPENDS" ${ARGN})
  ut_check_arguments(arg)
  add_library(${name} STATIC ${arg_SOURCES})
  add_library(ut::${name} ALIAS ${name})
  target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_link_libraries(${name} PUBLIC ${arg_PUBLIC_DEPENDS} PRIVATE ut::warnings ${arg_PRIVATE_DEPENDS})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON AUTOMOC ${arg_AUTOMOC})
endfunction()

# ut_add_executable(name SOURCES ... [DEPENDS ...] [AUTOMOC])
function(ut_add_executable name)
  cmake_parse_arguments(arg "AUTOMOC" "" "SOURCES;DEPENDS" ${ARGN})
  ut_check_arguments(arg)
  add_executable(${name} ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE ut::warnings ${arg_DEPENDS})
  set_target_properties(${name} PROPERTIES AUTOMOC ${arg_AUTOMOC})
endfunction()

# ut_add_test(name SOURCES ... [DEPENDS ...] [ENVIRONMENT ...] [TIMEOUT s])
# One Qt Test executable; runs with the offscreen-capable xcb platform when a display exists.
function(ut_add_test name)
  cmake_parse_arguments(arg "" "TIMEOUT" "SOURCES;DEPENDS;ENVIRONMENT" ${ARGN})
  ut_check_arguments(arg)
  add_executable(${name} ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE ut::warnings Qt6::Test ${arg_DEPENDS})
  target_compile_definitions(${name} PRIVATE
    UT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    UT_BINARY_DIR="${PROJECT_BINARY_DIR}")
  set_target_properties(${name} PROPERTIES AUTOMOC ON RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  add_test(NAME ${name} COMMAND ${name})
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 120)
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${arg_TIMEOUT} ENVIRONMENT "${arg_ENVIRONMENT}")
endfunction()

# ut_add_plugin(name SOURCES ... [DEPENDS ...] [OUTPUT_DIRECTORY dir])
# A simulation plugin: a Qt plugin module, by default in build/lib/urbantwin/plugins.
function(ut_add_plugin name)
  cmake_parse_arguments(arg "" "OUTPUT_DIRECTORY" "SOURCES;DEPENDS" ${ARGN})
  ut_check_arguments(arg)
  if(NOT arg_OUTPUT_DIRECTORY)
    set(arg_OUTPUT_DIRECTORY ${UT_PLUGIN_OUTPUT_DIRECTORY})
  endif()
  add_library(${name} MODULE ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE ut::warnings ut::ut_sim Qt6::Core ${arg_DEPENDS})
  set_target_properties(${name} PROPERTIES AUTOMOC ON PREFIX "" LIBRARY_OUTPUT_DIRECTORY ${arg_OUTPUT_DIRECTORY})
endfunction()
