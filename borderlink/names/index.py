class Hit: pass
class NameIndex: pass
