#include "ScenarioDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ut/sim/BuildingFilter.h"

namespace ut::app {

namespace {
// "building:levels = 7, u_wall = 0.24" ⇄ {"building:levels": 7, "u_wall": 0.24}
QString assignmentsText(const QVariantMap& set) {
    QStringList parts;
    for (auto it = set.begin(); it != set.end(); ++it) parts << it.key() + QStringLiteral(" = ") + it.value().toString();
    return parts.join(QStringLiteral(", "));
}

std::optional<QVariantMap> parseAssignments(const QString& text) {
    QVariantMap set;
    for (const QString& part : text.split(',', Qt::SkipEmptyParts)) {
        const qsizetype equals = part.indexOf('=');
        if (equals <= 0) return std::nullopt;
        const QString key = part.left(equals).trimmed();
        const QString value = part.mid(equals + 1).trimmed();
        if (key.isEmpty() || value.isEmpty()) return std::nullopt;
        bool numeric = false;
        const double number = value.toDouble(&numeric);
        set.insert(key, numeric ? QVariant(number) : QVariant(value));
    }
    if (set.isEmpty()) return std::nullopt;
    return set;
}
}  // namespace

ScenarioDialog::ScenarioDialog(const ScenarioEntry& scenario, const Project& project, const BuildingTable& buildings,
                               QWidget* parent)
    : QDialog(parent),
      m_original(scenario),
      m_project(project),
      m_buildings(buildings),
      m_name(new QLineEdit(scenario.name, this)),
      m_description(new QLineEdit(scenario.description, this)),
      m_edits(new QTableWidget(0, 3, this)),
      m_feedback(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this)) {
    setWindowTitle(scenario.name.isEmpty() ? tr("New Scenario") : tr("Edit Scenario"));
    resize(760, 420);
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Description"), m_description);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Building edits: which buildings (a filter such as use == \"residential\" and "
                                    "year_built < 1990) and what to set (height = 30, u_wall = 0.24, building:levels = 7)"),
                                 this));
    m_edits->setHorizontalHeaderLabels({tr("Buildings where"), tr("Set"), tr("Selected")});
    m_edits->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_edits->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_edits->verticalHeader()->hide();
    layout->addWidget(m_edits, 1);
    auto* rowButtons = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add Edit"), this);
    auto* remove = new QPushButton(tr("Remove Edit"), this);
    rowButtons->addWidget(add);
    rowButtons->addWidget(remove);
    rowButtons->addStretch();
    layout->addLayout(rowButtons);
    m_feedback->setWordWrap(true);
    layout->addWidget(m_feedback);
    layout->addWidget(m_buttons);

    for (const BuildingEdit& edit : scenario.buildingEdits) {
        addEditRow(edit.where.isEmpty() ? QStringLiteral("id == '%1'").arg(edit.ids.join("' or id == '")) : edit.where,
                   assignmentsText(edit.set));
    }
    if (scenario.buildingEdits.empty()) addEditRow(QString(), QString());
    connect(add, &QPushButton::clicked, this, [this] { addEditRow(QString(), QString()); });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_edits->currentRow() >= 0) m_edits->removeRow(m_edits->currentRow());
        validate();
    });
    connect(m_edits, &QTableWidget::itemChanged, this, &ScenarioDialog::validate);
    connect(m_name, &QLineEdit::textChanged, this, &ScenarioDialog::validate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validate();
}

void ScenarioDialog::addEditRow(const QString& where, const QString& set) {
    QSignalBlocker block(m_edits);
    const int row = m_edits->rowCount();
    m_edits->insertRow(row);
    m_edits->setItem(row, 0, new QTableWidgetItem(where));
    m_edits->setItem(row, 1, new QTableWidgetItem(set));
    auto* count = new QTableWidgetItem;
    count->setFlags(count->flags() & ~Qt::ItemIsEditable);
    m_edits->setItem(row, 2, count);
    validate();
}

void ScenarioDialog::validate() {
    QStringList problems;
    const QString name = m_name->text().trimmed();
    if (name.isEmpty() || name == QStringLiteral("baseline")) problems << tr("Give the scenario a name other than “baseline”.");
    if (name != m_original.name && findScenario(m_project, name)) problems << tr("A scenario named “%1” exists already.").arg(name);
    QSignalBlocker block(m_edits);
    for (int row = 0; row < m_edits->rowCount(); ++row) {
        const QString where = m_edits->item(row, 0)->text().trimmed();
        const QString set = m_edits->item(row, 1)->text().trimmed();
        QTableWidgetItem* count = m_edits->item(row, 2);
        count->setText(QString());
        if (where.isEmpty() && set.isEmpty()) continue;
        auto filter = sim::BuildingFilter::parse(where.toStdString());
        if (!filter) {
            problems << tr("Edit %1: %2").arg(row + 1).arg(QString::fromStdString(filter.error()));
            continue;
        }
        std::size_t selected = 0;
        for (std::size_t i = 0; i < m_buildings.size(); ++i) selected += filter->matches(m_buildings, i) ? 1 : 0;
        count->setText(QLocale().toString(qulonglong(selected)));
        if (!parseAssignments(set)) problems << tr("Edit %1: write what to set as name = value, separated by commas.").arg(row + 1);
    }
    m_feedback->setText(problems.join('\n'));
    m_feedback->setStyleSheet(problems.isEmpty() ? QString() : QStringLiteral("color: #b00020"));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problems.isEmpty());
}

ScenarioEntry ScenarioDialog::scenario() const {
    ScenarioEntry result = m_original;
    result.name = m_name->text().trimmed();
    result.description = m_description->text().trimmed();
    result.buildingEdits.clear();
    for (int row = 0; row < m_edits->rowCount(); ++row) {
        const QString where = m_edits->item(row, 0)->text().trimmed();
        const auto set = parseAssignments(m_edits->item(row, 1)->text());
        if (where.isEmpty() || !set) continue;
        result.buildingEdits.push_back(BuildingEdit{where, {}, *set});
    }
    return result;
}

}  // namespace ut::app
