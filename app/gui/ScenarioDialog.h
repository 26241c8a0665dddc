#pragma once

#include <QDialog>

#include "ut/app/Project.h"

class QLabel;
class QLineEdit;
class QTableWidget;
class QDialogButtonBox;

namespace ut {
class BuildingTable;
}

namespace ut::app {

// Creates or edits a scenario: its name, description and building edits (a filter expression and
// the attributes it sets). Checks each filter as it is typed and shows how many buildings it
// selects; OK stays disabled while anything is wrong. Cancel leaves the scenario as it was.
class ScenarioDialog : public QDialog {
    Q_OBJECT
public:
    ScenarioDialog(const ScenarioEntry& scenario, const Project& project, const BuildingTable& buildings,
                   QWidget* parent = nullptr);

    ScenarioEntry scenario() const;

private:
    void validate();
    void addEditRow(const QString& where, const QString& set);

    ScenarioEntry m_original;
    const Project& m_project;
    const BuildingTable& m_buildings;
    QLineEdit* m_name;
    QLineEdit* m_description;
    QTableWidget* m_edits;
    QLabel* m_feedback;
    QDialogButtonBox* m_buttons;
};

}  // namespace ut::app
